"""Settings of the web instances started by test_two_web.py to share files and cached figures.

The test settings (``QX_TESTING``: the test password hasher, background jobs run inside the
request) with the cache a deployment has: files under the shared ``QX_VAR_DIR/cache`` rather
than each process's own memory, as docs/deployment.md describes for several hosts.
"""

from qiangxian.settings import *  # noqa: F403
from qiangxian.settings import FILE_CACHE

CACHES = {"default": FILE_CACHE}
