<?php

/**
 * Stubs for IDEs and static analysers: what the redis_session extension adds to userland.
 *
 * The extension's main job (the `redis`, `rediscluster` and `redissentinel` session save handlers and the
 * `redis.session.*` INI settings) has no userland API; these are the extras.
 *
 * INI settings (php.ini, per directory or ini_set(); names, defaults and meanings as in
 * phpredis 6.3, read at each session_start(); `php --ri redis_session` shows them in force):
 *   redis.session.locking_enabled       = 0      take a lock per session for the request
 *   redis.session.lock_expire           = 0      lock TTL s; 0 = max_execution_time (or 30)
 *   redis.session.lock_wait_time        = 20000  us between attempts; 0 = 20000
 *   redis.session.lock_retries          = 100    attempts; 0 = 100; -1 = until the lock TTL
 *   redis.session.lock_release_cmd      = eval   eval (Lua), delifeq (Valkey 9+), delex (Redis 8.4+)
 *   redis.session.lock_failure_readonly = 0      1: lock not had -> read only, writes refused
 *   redis.session.early_refresh         = 0      1: TTL refreshed on read, not at close
 *   redis.session.compression           = none   none, lzf, lz4, zstd, gzip, snappy
 *   redis.session.compression_level     = 3      zstd 1-22, gzip 1-9; < 1 = codec default
 *   redis.session.compression_threshold = 2048   bytes; smaller sessions stored raw (ours)
 *   redis.session.max_size              = 64M    largest session read, stored or decoded (ours)
 *   redis.session.write_failure         = warning  exception: a write that finally failed throws (ours)
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
 *     sentinel_discoveries: int,
 *     sentinel_queries: int,
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
 *                   corrupt: int, too_large: int}
 * }
 */
function redis_session_stats(): array {}
