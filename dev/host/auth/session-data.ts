import 'express-session';

/** What the stand-in keeps in a browser session. */
declare module 'express-session' {
  interface SessionData {
    userId: string;
    /** The synchronizer token every form must send back. */
    csrfToken: string;
    /** One message for the next page shown, e.g. "Client saved." */
    flash: string;
  }
}
