@echo off
rem Remove old build output and logs.
del /q C:\Build\output\*.tmp
rmdir /s /q C:\Build\obj
echo Cleaned %DATE%
