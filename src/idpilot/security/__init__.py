"""Security analytics over the store: risk, workload identities, detections, privileged roles."""
