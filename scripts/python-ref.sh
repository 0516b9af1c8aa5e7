#!/usr/bin/env bash
# Prints the path of the reference CPython: 3.13 where the image has it (the behaviour we
# target), otherwise python3. See ../shared/TOOLCHAIN.md "Reference Python".
for p in /root/.pyenv/versions/3.13.0/bin/python3.13 "$(command -v python3.13 2>/dev/null)" "$(command -v python3 2>/dev/null)"; do
  if [ -n "$p" ] && [ -x "$p" ] && "$p" -c 'import logging' >/dev/null 2>&1; then
    echo "$p"
    exit 0
  fi
done
exit 1
