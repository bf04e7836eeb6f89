/**
 * Load generation for areas 7 and 12: a closed loop (N workers, to measure
 * capacity) and an open loop (fixed arrival rate for a bounded time, so a
 * slow server cannot slow the offered load down). Each result is a status,
 * its latency and whether a 503/429 carried retry-after.
 */
export interface Sample {
  status: number
  ms: number
  retryAfter: boolean
  at: number
}

export type Fire = () => Promise<Response>

async function one(fire: Fire): Promise<Sample> {
  const t0 = performance.now()
  try {
    const res = await fire()
    await res.arrayBuffer()
    return { status: res.status, ms: performance.now() - t0, retryAfter: res.headers.has('retry-after'), at: t0 }
  } catch {
    return { status: 0, ms: performance.now() - t0, retryAfter: false, at: t0 }
  }
}

/** `workers` loops firing back to back for `seconds`. */
export async function closedLoop(fire: Fire, workers: number, seconds: number): Promise<Sample[]> {
  const out: Sample[] = []
  const end = performance.now() + seconds * 1000
  await Promise.all(Array.from({ length: workers }, async () => {
    while (performance.now() < end) out.push(await one(fire))
  }))
  return out
}

/** Fires at `rate` per second for `seconds` regardless of answers (at most `maxOpen` outstanding), then waits for the stragglers. */
export async function openLoop(fire: Fire, rate: number, seconds: number, maxOpen = 2000): Promise<{ samples: Sample[]; offered: number; skipped: number }> {
  const out: Sample[] = []
  const pending = new Set<Promise<void>>()
  const t0 = performance.now()
  const total = Math.floor(rate * seconds)
  let skipped = 0
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 1) await Bun.sleep(wait)
    if (pending.size >= maxOpen) {
      skipped++
      continue
    }
    const p: Promise<void> = one(fire).then((s) => {
      out.push(s)
      pending.delete(p)
    })
    pending.add(p)
  }
  await Promise.all(pending)
  return { samples: out, offered: total, skipped }
}

export const rps = (samples: Sample[], seconds: number) => samples.length / seconds
