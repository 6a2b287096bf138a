"""The skills idpilot ships: each module registers its skills through `register`."""
