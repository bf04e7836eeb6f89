/** Resolves on a later turn of the event loop, after the I/O that is ready now: lets requests run between steps of background work. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
