"""Events other modules may listen to, sent by the monitoring module's services.

``import_committed`` is sent once a batch of monthly or annual figures is committed and its
rollups refreshed, after the transaction has been saved (never for a refused commit), with
``batch`` (the :class:`ImportBatch`), ``months`` (the months it wrote, as dates) and ``actor``.
"""

from django.dispatch import Signal

import_committed = Signal()
