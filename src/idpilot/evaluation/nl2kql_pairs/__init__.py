"""Question/KQL pairs written by hand for NL-to-KQL execution accuracy (`nl2kql`)."""
