/**
 * The fault bodies QBO sends outside its usual JSON ValidationFault: the lower-case JSON of its auth gateway
 * (401/403, see qbo-recordings/fault-401-token-expired--1.json) and the XML bodies its throttling and proxy
 * layers send even when JSON was asked for (429 code 3001, 504 code 6002).
 */

export const WWW_AUTHENTICATE_INVALID_TOKEN = 'Bearer realm="Intuit", error="invalid_token"';

export interface LowerCaseFault {
  status: 401 | 403 | 500;
  code: string;
  message: string;
  detail: string | null;
  type: string;
}

/** The auth gateway's envelope: every field of the recorded 401, with an epoch-ms `time`. */
export function lowerCaseFaultBody(fault: LowerCaseFault, now: Date): Record<string, unknown> {
  return {
    warnings: null,
    intuitObject: null,
    fault: {
      error: [{ message: fault.message, detail: fault.detail, code: fault.code, element: null }],
      type: fault.type,
    },
    report: null,
    queryResponse: null,
    batchItemResponse: [],
    attachableResponse: [],
    syncErrorResponse: null,
    requestId: null,
    time: now.getTime(),
    status: null,
    cdcresponse: [],
  };
}

export function authenticationFailed(detail: string): LowerCaseFault {
  return {
    status: 401,
    code: '3200',
    message: 'message=AuthenticationFailed; errorCode=003200; statusCode=401',
    detail,
    type: 'AUTHENTICATION',
  };
}

export function authorizationFailed(): LowerCaseFault {
  return {
    status: 403,
    code: '3100',
    message: 'message=AuthorizationFailed; errorCode=003100; statusCode=403',
    detail: null,
    type: 'SERVICE',
  };
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export interface XmlFault {
  type: string;
  code: string;
  message: string;
  detail?: string;
}

export function xmlFaultBody(fault: XmlFault, now: Date): string {
  const detail = fault.detail === undefined ? '' : `\n            <Detail>${escapeXml(fault.detail)}</Detail>`;
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<IntuitResponse time="${now.toISOString()}" xmlns="http://schema.intuit.com/finance/v3">\n` +
    `    <Fault type="${escapeXml(fault.type)}">\n` +
    `        <Error code="${escapeXml(fault.code)}">\n` +
    `            <Message>${escapeXml(fault.message)}</Message>${detail}\n` +
    '        </Error>\n' +
    '    </Fault>\n' +
    '</IntuitResponse>\n'
  );
}

/** As recorded in SDK issues (2016–2017): type SERVICE, code 3001. */
export const THROTTLE_EXCEEDED: XmlFault = {
  type: 'SERVICE',
  code: '3001',
  message: 'message=ThrottleExceeded; errorCode=003001; statusCode=429',
  detail: 'The request limit was reached.  Try again later',
};

/** As reported from production in 2025 (node-quickbooks issue 242): type SERVICE, code 6002, no Detail. */
export const GATEWAY_TIMEOUT: XmlFault = {
  type: 'SERVICE',
  code: '6002',
  message: 'message=GatewayTimeout; errorCode=006002; statusCode=504',
};

/** The JSON SystemFault of qbo-recordings/fault-10000-system-failure--1.json (HTTP 500). */
export function systemFaultBody(now: Date): Record<string, unknown> {
  return {
    Fault: {
      Error: [{ Message: 'An application error has occurred while processing your request', Detail: 'System Failure Error: sandbox injected fault', code: '10000' }],
      type: 'SystemFault',
    },
    time: now.toISOString(),
  };
}

/** Intuit's load balancer answers 503 with an nginx HTML page (qbo_api issue 81), not a QBO fault. */
export const SERVICE_UNAVAILABLE_HTML =
  '<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body bgcolor="white">\r\n' +
  '<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** A JSON ValidationFault in QBO's usual shape, for what the server half itself rejects (requestid too long). */
export function validationFaultBody(code: string, message: string, detail: string, element: string, now: Date): Record<string, unknown> {
  return { Fault: { Error: [{ Message: message, Detail: detail, code, element }], type: 'ValidationFault' }, time: now.toISOString() };
}
