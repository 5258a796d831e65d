import gc
import sys

gc.disable()  # the imports allocate only what lives on: collecting would find nothing (cli.main turns it back on)

from .cli import main  # noqa: E402

sys.exit(main())
