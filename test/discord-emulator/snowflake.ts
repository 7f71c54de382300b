const DISCORD_EPOCH = 1_420_070_400_000n;

/**
 * Snowflakes carry their creation time (discord.js derives `createdTimestamp` from
 * them), so ids are minted from the clock; bumping past the previous id keeps them
 * unique and ordered even when many are minted in the same millisecond.
 */
export function createSnowflakeGenerator(): () => string {
  let last = 0n;
  return () => {
    const fromClock = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    last = fromClock > last ? fromClock : last + 1n;
    return last.toString();
  };
}

/**
 * A guild id as Discord mints them (from the clock) that its events route to `shard` of
 * `shardCount` (`(id >> 22) % shardCount`), for a test that needs a guild on each shard.
 */
export function guildIdOnShard(shard: number, shardCount: number): string {
  let timestamp = BigInt(Date.now()) - DISCORD_EPOCH;
  while (Number(timestamp % BigInt(shardCount)) !== shard) timestamp += 1n;
  return (timestamp << 22n).toString();
}
