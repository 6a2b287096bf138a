"""The red-team suite: hostile prompts and poisoned tenant records, each with the violation it
tries, run through the copilot (offline, and with a scripted hostile model) and the API, and
checked mechanically (`idpilot eval --set redteam`)."""
