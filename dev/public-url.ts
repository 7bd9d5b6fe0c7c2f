/**
 * The one address people and Intuit use for the stand-in: PUBLIC_URL, else http://localhost:PORT. The
 * plugin's OAuth callback is built from it, and every address printed uses its host, because a browser
 * keeps separate sign-ins for localhost and 127.0.0.1.
 */
export function publicUrlFrom(env: NodeJS.ProcessEnv, port: number): string {
  const raw = env.PUBLIC_URL?.trim() || `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`PUBLIC_URL must be an absolute http(s) address such as http://localhost:${port}, not ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`PUBLIC_URL must start with http:// or https://, not ${JSON.stringify(raw)}`);
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The sandbox's address in the public URL's host form when both are on this machine. */
export function sandboxAddressLike(publicUrl: string, sandboxBaseUrl: string): string {
  const pub = new URL(publicUrl);
  const sandbox = new URL(sandboxBaseUrl);
  if (LOOPBACK_HOSTS.has(pub.hostname) && LOOPBACK_HOSTS.has(sandbox.hostname)) sandbox.hostname = pub.hostname;
  return sandbox.origin;
}
