"""Question/KQL pairs shipped as few-shot examples for a model writing KQL (`few_shot.yaml`)."""
