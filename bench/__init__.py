"""idpilot benchmarks: `make bench` (python -m bench) runs them and prints ratios."""
