/** The Redis the tests use (REDIS_URL, else the local one), and whether it answers. */
import { Redis } from 'ioredis';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

/** Whether a Redis answers at REDIS_URL (the Redis tests skip themselves otherwise). */
export async function redisReachable(): Promise<boolean> {
  // A generous timeout: on a loaded machine a short one would skip the Redis tests for nothing.
  const probe = new Redis(REDIS_URL, { lazyConnect: true, connectTimeout: 5000, maxRetriesPerRequest: 0 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}
