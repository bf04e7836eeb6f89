/**
 * Canary secrets (area 10): every gateway the suite starts carries these as
 * its master key, provider key, AWS credentials and Redis password, and the
 * runners scan what they saw for them. A canary's plain, base64 and
 * URL-encoded forms must appear 0 times in logs, error bodies, /metrics and
 * spend rows. Virtual keys are generated per run and added with `track`.
 */
export const CANARY = {
  master: 'sk-canary-master-9d2f4e7a1b3c5d6e8f0a',
  perplexity: 'pplx-canary-4c1e9b7a2d5f8e3a6b0c',
  awsAccessKeyId: 'AKIACANARYHARDEN7Q2W',
  awsSecret: 'canary/Harden+Secret9x8c7v6b5n4m3l2k1j',
  redisPassword: 'canary-redis-p4ss-3e8d1f6a',
} as const

/** An unreachable Redis (port 1 on loopback refuses at once) carrying the canary password; limits fail open. */
export const CANARY_REDIS_URL = `redis://:${encodeURIComponent(CANARY.redisPassword)}@127.0.0.1:1/0`

/** The forms a secret could leak in. */
export function leakForms(secret: string): string[] {
  return [...new Set([secret, btoa(secret), encodeURIComponent(secret), Buffer.from(secret).toString('base64url')])]
}

/** Tracks the secrets of one run and scans text for them. */
export class CanaryScan {
  private readonly secrets = new Set<string>(Object.values(CANARY))
  /** Texts scanned so far, and the leaks found (secret name and where). */
  scanned = 0
  readonly leaks: string[] = []

  track(secret: string): void {
    this.secrets.add(secret)
  }

  /** Scans `text` (from `where`) for every form of every tracked secret. */
  scan(where: string, text: string): void {
    this.scanned++
    for (const s of this.secrets) {
      for (const form of leakForms(s)) {
        if (text.includes(form)) this.leaks.push(`${s.slice(0, 12)}… (as ${form === s ? 'plain' : 'encoded'}) in ${where}`)
      }
    }
  }
}
