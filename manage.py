#!/usr/bin/env python
from sanlian.__main__ import main

if __name__ == "__main__":
    main()
