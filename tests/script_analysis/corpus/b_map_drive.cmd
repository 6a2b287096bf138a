@echo off
rem Map the team share and copy the handbook.
net use Z: \\fileserver01\teams /persistent:yes
robocopy Z:\handbook C:\Users\Default\Documents\handbook /MIR
echo Done
