<?php

/**
 * Stubs for IDEs and static analysers: what the redis_session extension adds to userland.
 *
 * The extension's main job (the `redis` and `rediscluster` session save handlers and the
 * `redis.session.*` INI settings) has no userland API; these are the extras.
 *
 * @generate-function-entries
 */

/**
 * Per-process counters of the session handlers, since this PHP process (php-fpm worker, CLI
 * run) started. Each php-fpm worker has its own counters.
 *
 * @return array{
 *     requests: int,
 *     lock_acquisitions: int,
 *     lock_waits: int,
 *     lock_handoffs: int,
 *     lock_releases_retried: int,
 *     lock_wait_us: int,
 *     lock_failures: int,
 *     writes_skipped_lock_lost: int,
 *     round_trips: int,
 *     connections_opened: int,
 *     bytes_read: int,
 *     bytes_written: int,
 *     bytes_read_stored: int,
 *     bytes_written_stored: int,
 *     errors: array{config: int, invalid_id: int, connect: int, timeout: int, io: int, auth: int,
 *                   server: int, cluster: int, protocol: int, lock_timeout: int, lock_lost: int,
 *                   corrupt: int}
 * }
 */
function redis_session_stats(): array {}
