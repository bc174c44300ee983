/** The part of localStorage that the outbox uses, kept in memory: empty when made, so each test starts clean. */
export class MemoryStorage {
  private readonly values = new Map<string, string>();
  getItem(key: string) {
    return this.values.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.values.set(key, value);
  }
}
