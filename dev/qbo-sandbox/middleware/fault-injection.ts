/**
 * Plays the faults armed through the control API. "drop" closes the connection before the handler runs
 * (nothing applied, nothing answered); "drop-after-write" lets the handler apply its write and then closes
 * the connection instead of answering, the lost-response case a requestid retry must survive.
 */
import type { RequestHandler, Response } from 'express';
import type { SandboxClock } from '../clock';
import type { FaultRule, FaultRules } from '../control/fault-rules';
import { fullPath, realmOf } from './api-request';
import {
  authenticationFailed,
  GATEWAY_TIMEOUT,
  SERVICE_UNAVAILABLE_HTML,
  systemFaultBody,
  THROTTLE_EXCEEDED,
} from './intuit-fault-bodies';
import { interceptResponse } from './intercept-response';
import { noteFault, notesOf } from './response-notes';
import { sendLowerCaseFault, sendXmlFault } from './send-fault';

function dropConnection(res: Response): void {
  notesOf(res).dropped = true;
  res.socket?.destroy();
}

export function faultInjection(deps: { rules: FaultRules; clock: SandboxClock }): RequestHandler {
  return (req, res, next) => {
    const rule: FaultRule | null = deps.rules.take({ method: req.method, path: fullPath(req), realmId: realmOf(req) });
    if (!rule) return next();
    notesOf(res).injectedFault = rule.kind;
    const now = deps.clock.now();
    switch (rule.kind) {
      case '429':
        return sendXmlFault(res, 429, THROTTLE_EXCEEDED, now);
      case '504':
        return sendXmlFault(res, 504, GATEWAY_TIMEOUT, now);
      case '500':
        noteFault(res, '10000');
        return void res.status(500).type('application/json').send(JSON.stringify(systemFaultBody(now)));
      case '503':
        return void res.status(503).type('text/html').send(SERVICE_UNAVAILABLE_HTML);
      case '401':
        return sendLowerCaseFault(res, authenticationFailed('Token expired'), now);
      case 'drop':
        return dropConnection(res);
      case 'drop-after-write':
        interceptResponse(res, 'swallow', () => dropConnection(res));
        return next();
      case 'delay':
        notesOf(res).extraDelayMs = rule.delayMs ?? 0;
        return next();
    }
  };
}
