// The demo has no login: a random id in the `demo_uid` cookie, set on the first page load, stands in for
// the signed-in user. HttpOnly (no script needs it) and SameSite=Strict (a cross-site page cannot make the
// browser send it along with a ticket request, threats §C6.59).
import { randomBytes } from 'node:crypto';

export const demoUserCookieName = 'demo_uid';
const userIdPattern = /^[A-Za-z0-9_-]{16,64}$/;
const cookieMaxAgeSeconds = 30 * 24 * 60 * 60;

/** The user id from a Cookie header; undefined when absent or not one we could have issued. */
export function readDemoUserId(cookieHeader: string | null | undefined): string | undefined {
  if (cookieHeader === null || cookieHeader === undefined) return undefined;
  for (const part of cookieHeader.split(';')) {
    const at = part.indexOf('=');
    if (at === -1 || part.slice(0, at).trim() !== demoUserCookieName) continue;
    const value = part.slice(at + 1).trim();
    return userIdPattern.test(value) ? value : undefined;
  }
  return undefined;
}

export function createDemoUserId(random: (size: number) => Uint8Array = randomBytes): string {
  return Buffer.from(random(16)).toString('base64url');
}

export function buildDemoUserCookie(userId: string): string {
  return `${demoUserCookieName}=${userId}; Path=/; Max-Age=${cookieMaxAgeSeconds}; HttpOnly; SameSite=Strict`;
}
