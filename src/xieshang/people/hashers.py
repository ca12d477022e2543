"""Password hashing: Argon2id with the parameters OWASP's password storage guidance gives as its
minimum (19 MiB of memory, 2 iterations, 1 lane) instead of Django's heavier defaults (100 MiB, 8 lanes).

On this platform's 2-core servers Django's defaults cost 100-150 ms of both cores a login, so the
morning rush of a plenary (50 members signing in within seconds, measured by bench/load) queued logins
for 4-8 s; these parameters still make every guess cost 19 MiB of memory. A hash made with other
parameters is checked as it is and re-made with these at the next successful login.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2Hasher(Argon2PasswordHasher):
    memory_cost = 19 * 1024  # KiB
    time_cost = 2
    parallelism = 1
