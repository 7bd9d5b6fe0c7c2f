import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { parseWebhookBody } from '../webhooks/payload';
import { checkIntuitSignature } from '../webhooks/signature';
import type { WebhookIntake } from '../webhooks/webhook-intake';

export interface WebhookRouterDeps {
  /** The verifier token from Intuit's developer portal; null when the host did not configure webhooks. */
  verifierToken: string | null;
  intake: Pick<WebhookIntake, 'receive'>;
  logger: Logger;
  maxBodyBytes: number;
}

function answer(res: Response, status: number, message: string, extra: Record<string, unknown> = {}): void {
  res.status(status).set('Cache-Control', 'no-store').json({ message, ...extra });
}

/**
 * Intuit's webhook endpoint (POST <mountPath>/webhooks). Not behind the admin login or CSRF: Intuit proves
 * itself with `intuit-signature` over the raw body, which is why the body is read here as bytes and parsed
 * only after the signature matched. Nothing in a log line repeats the body, the signature or the token.
 */
export function createWebhookRouter(deps: WebhookRouterDeps): Router {
  const router = express.Router();
  const log = (req: Request) => deps.logger.child({ webhook: true, ip: req.ip });

  const configured: RequestHandler = (req, res, next) => {
    if (deps.verifierToken !== null) {
      next();
      return;
    }
    log(req).warn('QuickBooks webhook refused: no webhookVerifierToken is set in the plugin options, so its signature cannot be checked');
    answer(res, 503, 'QuickBooks webhooks are not configured on this server (webhookVerifierToken is not set).');
  };

  const json: RequestHandler = (req, res, next) => {
    if (req.is('application/json')) {
      next();
      return;
    }
    log(req).warn({ contentType: req.get('content-type') ?? null }, 'QuickBooks webhook refused: the body is not JSON');
    answer(res, 415, 'Webhook bodies must be JSON (content-type: application/json).');
  };

  const receive: RequestHandler = async (req, res) => {
    const raw: unknown = req.body;
    if (!Buffer.isBuffer(raw)) {
      // Another body parser read the stream before us; the exact bytes Intuit signed are gone.
      log(req).error('QuickBooks webhook refused: the host parsed the body before the plugin, so its signature cannot be checked; mount the plugin before any JSON body parser');
      answer(res, 500, 'The webhook body was read before its signature could be checked.');
      return;
    }
    const signature = checkIntuitSignature(raw, req.get('intuit-signature'), deps.verifierToken ?? '');
    if (signature !== 'valid') {
      log(req).warn({ signature, bytes: raw.length }, 'QuickBooks webhook refused: intuit-signature is missing, malformed or does not match the body');
      answer(res, 401, `The intuit-signature header is ${signature === 'mismatch' ? 'not valid for this body' : signature}.`);
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      log(req).warn({ bytes: raw.length }, 'QuickBooks webhook refused: signed body is not valid JSON');
      answer(res, 400, 'The webhook body is not valid JSON.');
      return;
    }
    const parsed = parseWebhookBody(body);
    if (!parsed.ok) {
      log(req).warn({ problem: parsed.problem }, 'QuickBooks webhook refused: signed body has the wrong shape');
      answer(res, 400, `The webhook body has the wrong shape: ${parsed.problem}.`);
      return;
    }
    try {
      const result = await deps.intake.receive(parsed.format, parsed.events);
      answer(res, 200, 'Received.', { received: result.received, stored: result.stored, duplicates: result.duplicates });
    } catch (error) {
      // Nothing was stored (one transaction), and Intuit retries a delivery that did not get a 200.
      log(req).error({ error: (error as Error).message }, 'QuickBooks webhook could not be stored; Intuit will retry it');
      answer(res, 500, 'The webhook could not be stored; please retry.');
    }
  };

  const bodyErrors: ErrorRequestHandler = (err: unknown, req, res, next) => {
    const type = typeof err === 'object' && err !== null && 'type' in err ? String(err.type) : '';
    if (type === 'entity.too.large') {
      log(req).warn({ limitBytes: deps.maxBodyBytes, declaredBytes: req.get('content-length') ?? null }, 'QuickBooks webhook refused: body larger than the limit');
      answer(res, 413, `The webhook body is larger than ${deps.maxBodyBytes} bytes.`);
      return;
    }
    if (type.startsWith('request.') || type.startsWith('encoding.') || type.startsWith('charset.')) {
      log(req).warn({ problem: type }, 'QuickBooks webhook refused: the body could not be read');
      answer(res, 400, 'The webhook body could not be read.');
      return;
    }
    next(err);
  };

  router.post('/', configured, json, express.raw({ type: () => true, limit: deps.maxBodyBytes }), receive, bodyErrors);
  return router;
}
