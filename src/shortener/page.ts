import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

/** The creation page, ready to serve: the HTML and the Content-Security-Policy that fits it. */
export interface Page {
  html: string;
  contentSecurityPolicy: string;
}

const sha256 = (text: string): string =>
  `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Load the page once at start-up. The inline script and style are allowed by their hashes,
 * so the policy can forbid every other script, and the page can only talk to its own origin.
 *
 * @example
 * const page = loadPage({ requiresApiKey: false });
 */
export function loadPage({ requiresApiKey }: { requiresApiKey: boolean }): Page {
  const template = readFileSync(new URL('./page/index.html', import.meta.url), 'utf8');
  const html = template.replace('__REQUIRES_KEY__', String(requiresApiKey));
  const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) =>
    sha256(m[1] ?? ''),
  );
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => sha256(m[1] ?? ''));
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${scripts.join(' ')}`,
    `style-src ${styles.join(' ')}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}
