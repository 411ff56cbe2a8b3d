/**
 * The PostgreSQL server settings the facility service runs on: the ones that make an acknowledged
 * result durable (checked at open: the service refuses a server without them), and the ones we
 * tell facility IT to set (docs/facility-protocol.md), which the bench's and tests' private
 * clusters use too, so the bench measures what facility IT runs.
 */

/** Must hold, or a result acknowledged after COMMIT could be lost in a crash or power cut. */
export const DURABILITY_SETTINGS = {
  /** COMMIT returns after the WAL is flushed (`local`, `remote_write`, … flush locally too; only `off` does not). */
  synchronous_commit: (v: string) => v !== 'off',
  /** The WAL flush reaches the disk. */
  fsync: (v: string) => v === 'on',
  /** A page torn by a power cut is restored from the WAL. */
  full_page_writes: (v: string) => v === 'on',
} as const satisfies Record<string, (value: string) => boolean>;

/**
 * Recommended for the facility database. None of them touches when or whether a commit is
 * flushed: they size memory that PostgreSQL flushes the same way.
 */
export const RECOMMENDED_SETTINGS: Readonly<Record<string, string>> = {
  /**
   * WAL written by transactions waits here until it is written out (COMMIT still waits for its
   * flush). The default is 1/32 of shared_buffers (4 MB at 128 MB); a batch of a few hundred
   * results writes about 3.4 KB of WAL each, more than that, and the backend then writes the WAL
   * out itself mid-statement (pg_stat_wal.wal_buffers_full, seen in the facility bench). 16 MB is
   * the most the automatic sizing ever picks.
   */
  wal_buffers: '16MB',
  /**
   * The page cache PostgreSQL keeps itself: with too little, the backend evicts dirty pages of the
   * tables it is writing to (pg_stat_bgwriter.buffers_backend, seen in the facility bench at
   * 32 MB). 128 MB is PostgreSQL's own default; on a machine of its own, a quarter of the memory.
   * Dirty pages reach the disk by checkpoints, which the WAL covers: no effect on durability.
   */
  shared_buffers: '128MB',
};
