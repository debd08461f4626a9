import { hash, randomBytes } from 'node:crypto';

/** Secrets start with this, so secret scanners and people recognise a leaked one. */
export const SECRET_PREFIX = 'fgk_';

/** A new API key secret: 256 random bits, base64url. */
export const newSecret = (): string => `${SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

/**
 * What the registry stores instead of the secret. A fast hash is enough here, unlike for passwords: the
 * secret is 256 random bits, so there is nothing to brute-force, and hashing costs microseconds where
 * bcrypt or scrypt would cost tens of milliseconds on every new connection of a key. See docs/auth.md.
 */
export const hashSecret = (secret: string): string => hash('sha256', secret, 'hex');
