import type { Request, Response } from 'express';
import { isNoticeCode, type NoticeCode } from '../messages';
import { readCookie } from './browser-session';
import { originOf } from './public-address';

/**
 * The outcome of an action is shown once: the action stores it in a short-lived cookie and redirects
 * (post/redirect/get); the settings page shows it and clears the cookie, so a reload shows it no more.
 * The redirect still names the code in `?notice=` for logs, but the URL alone shows nothing.
 */
export const NOTICE_COOKIE = 'qbo_notice';
const NOTICE_COOKIE_SECONDS = 120;

export interface FlashNotice {
  code: NoticeCode;
  /** An address the text names (where a sign-in started); set only by the server, checked on reading. */
  address?: string;
}

export function setFlashNotice(req: Request, res: Response, cookiePath: string, notice: FlashNotice): void {
  const value = notice.address ? `${notice.code} ${notice.address}` : notice.code;
  res.cookie(NOTICE_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: cookiePath, maxAge: NOTICE_COOKIE_SECONDS * 1000 });
}

/** The notice waiting for this page, cleared as it is read; anything malformed is nothing. */
export function takeFlashNotice(req: Request, res: Response, cookiePath: string): FlashNotice | null {
  const raw = readCookie(req, NOTICE_COOKIE);
  if (raw === null) return null;
  res.clearCookie(NOTICE_COOKIE, { httpOnly: true, sameSite: 'lax', secure: req.secure, path: cookiePath });
  const [code, address, ...rest] = raw.split(' ');
  if (!isNoticeCode(code) || rest.length > 0) return null;
  if (address === undefined) return { code };
  return originOf(address) === address ? { code, address } : { code };
}
