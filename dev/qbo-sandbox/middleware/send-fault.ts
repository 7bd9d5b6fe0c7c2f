import type { Response } from 'express';
import {
  lowerCaseFaultBody,
  WWW_AUTHENTICATE_INVALID_TOKEN,
  xmlFaultBody,
  type LowerCaseFault,
  type XmlFault,
} from './intuit-fault-bodies';
import { noteFault } from './response-notes';

export function sendLowerCaseFault(res: Response, fault: LowerCaseFault, now: Date): void {
  noteFault(res, fault.code);
  if (fault.status === 401) res.setHeader('WWW-Authenticate', WWW_AUTHENTICATE_INVALID_TOKEN);
  res.status(fault.status).type('application/json').send(JSON.stringify(lowerCaseFaultBody(fault, now)));
}

/** XML regardless of Accept: that is what QBO does for 429 and 504. */
export function sendXmlFault(res: Response, status: number, fault: XmlFault, now: Date): void {
  noteFault(res, fault.code);
  res.status(status).type('application/xml;charset=UTF-8').send(xmlFaultBody(fault, now));
}
