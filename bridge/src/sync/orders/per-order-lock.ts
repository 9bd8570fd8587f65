/**
 * Runs work for one key at a time, in arrival order (a promise chain per key). The exporter keys it
 * by (shop, Woo order), so two events of the same order never export concurrently in this process;
 * across processes the intent row and the bridge-chosen order number keep it exactly once anyway.
 */
export class PerOrderLock {
  private readonly tails = new Map<string, Promise<void>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => mine);
    this.tails.set(key, tail);
    await previous;
    try {
      return await work();
    } finally {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  get size(): number {
    return this.tails.size;
  }
}
