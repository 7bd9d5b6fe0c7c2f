/**
 * QBO fault bodies, shaped like the recorded traffic in shared/qbo-recordings:
 * `{"Fault":{"Error":[{"Message","Detail","code","element"}],"type":"ValidationFault"},"time":"…"}`.
 * `element` is present only where the recordings show it (2030 "Id", batch faults ""), so a client must not
 * rely on it.
 */
import { formatQboTime } from './store/qbo-time';

export type FaultType = 'ValidationFault' | 'SystemFault' | 'AuthorizationFault';

export interface FaultError {
  Message: string;
  Detail: string;
  code: string;
  element?: string;
}

/** A QBO fault as a throwable, carrying the HTTP status QBO answers it with. */
export class QboFault extends Error {
  constructor(
    readonly status: number,
    readonly errors: FaultError[],
    readonly type: FaultType = 'ValidationFault',
    /** The 2030 recording has no "time" key; everything else does. */
    readonly withTime = true,
  ) {
    super(`${errors[0]?.code ?? '?'} ${errors[0]?.Message ?? ''}`);
  }

  /** The fault object as it appears in a body or inside a batch item. */
  faultObject(): { Error: FaultError[]; type: FaultType } {
    return { Error: this.errors, type: this.type };
  }

  body(now: Date): Record<string, unknown> {
    const body: Record<string, unknown> = { Fault: this.faultObject() };
    if (this.withTime) body['time'] = formatQboTime(now, true);
    return body;
  }
}

function validation(code: string, message: string, detail: string, element?: string): QboFault {
  const error: FaultError = { Message: message, Detail: detail, code };
  if (element !== undefined) error.element = element;
  return new QboFault(400, [error]);
}

export const faults = {
  unsupportedOperation(relativePath: string): QboFault {
    return validation(
      '500',
      'Unsupported Operation',
      `Operation Could not find resource for relative : ${relativePath} of full path: https://sandbox.qbo.local/qbo50${relativePath} is not supported.`,
    );
  },
  operationNotSupported(operation: string): QboFault {
    return validation('500', 'Unsupported Operation', `Operation ${operation} is not supported.`);
  },
  objectNotFound(detail = "Object Not Found : Something you're trying to use has been made inactive. Check the fields with accounts, customers, items, vendors or employees."): QboFault {
    return validation('610', 'Object Not Found', detail, '');
  },
  deletedByAnotherUser(): QboFault {
    return validation('610', 'Object Not Found', 'Object Not Found : Another user has deleted this transaction.', '');
  },
  batchTooBig(size: number): QboFault {
    return validation('1040', 'Batch size exceeds allowed limit', `Batch size exceeds allowed limit: 30 supplied: ${size}`);
  },
  unsupportedProperty(entity: string, property: string): QboFault {
    return validation(
      '2010',
      'Request has invalid or unsupported property',
      `Property Name:Unrecognized field "${property}" (class com.intuit.schema.finance.v3.${entity}), not marked as ignorable specified is unsupported or invalid`,
    );
  },
  unparsableBody(entity: string): QboFault {
    return validation('2010', 'Request has invalid or unsupported property', `Property Name:Can not parse the request body for ${entity} specified is unsupported or invalid`);
  },
  requiredMissing(element: string): QboFault {
    return validation(
      '2020',
      'Required param missing, need to supply the required value for the API',
      `Required parameter ${element} is missing in the request`,
      element,
    );
  },
  invalidId(supplied: string): QboFault {
    return new QboFault(
      400,
      [{ Message: 'Invalid ID', Detail: `Id should be a valid number. Supplied value:${supplied}`, code: '2030', element: 'Id' }],
      'ValidationFault',
      false,
    );
  },
  invalidCharacter(element: string): QboFault {
    return validation('2040', 'Invalid Character', `Invalid character found in ${element}: colon, tab and newline are not allowed`, element);
  },
  stringLength(element: string, max: number, supplied: number): QboFault {
    return validation(
      '2050',
      'String length is either shorter or longer than supported by specification',
      `String length specified does not match the supported length. Min:0 Max:${max} supplied length:${supplied}`,
      element,
    );
  },
  invalidEnumeration(element: string, value: string): QboFault {
    return validation('2170', 'Invalid Enumeration', `Invalid Enumeration : ${value}`, element);
  },
  invalidEmail(element: string): QboFault {
    return validation('2210', 'Invalid Email Address format', `Invalid Email Address format : ${element} needs an @ and a domain with a dot`, element);
  },
  /** As QBO answers a reference to a record that does not exist: "Invalid Reference Id : <element>". */
  invalidReference(_entity: string, element: string, _id: string): QboFault {
    return validation('2500', 'Invalid Reference Id', `Invalid Reference Id : ${element}`, element);
  },
  invalidNumber(element: string, value: string): QboFault {
    return validation('2030', 'Invalid ID', `Id should be a valid number. Supplied value:${value}`, element);
  },
  queryParse(detail: string): QboFault {
    return validation('4000', 'Error parsing query', `QueryParserError: ${detail}`);
  },
  queryInvalid(detail: string): QboFault {
    return validation('4001', 'Invalid query', `QueryValidationError: ${detail}`);
  },
  staleObject(): QboFault {
    return validation(
      '5010',
      'Stale Object Error',
      'Stale Object Error : You and another user were working on this at the same time. The other user finished before you did, so your work was not saved.',
      '',
    );
  },
  business(detail: string, element?: string): QboFault {
    return validation('6000', 'A business validation error has occurred while processing your request', `Business Validation Error: ${detail}`, element);
  },
  amountMismatch(): QboFault {
    return validation('6070', 'Amount calculation incorrect in the request', 'Amount is not equal to UnitPrice * Qty. Supplied value:', 'Line.Amount');
  },
  invalidUsTaxCode(value: string): QboFault {
    return validation('6100', 'Invalid tax code', `Invalid tax code : the line tax code must be TAX or NON in a US company, supplied: ${value}`, 'TaxCodeRef');
  },
  duplicateDocNumber(docNumber: string): QboFault {
    return validation(
      '6140',
      'Duplicate Document Number Error',
      `Duplicate Document Number Error : You must specify a different number. This number has already been used. DocNumber=${docNumber} is assigned to TxnType=Invoice`,
      '',
    );
  },
  parentRequired(): QboFault {
    return validation('6150', 'Invalid Parent Ref', 'Invalid Parent Ref : a sub-customer (Job=true) needs a ParentRef', 'ParentRef');
  },
  duplicateName(): QboFault {
    // The latest (2020) recording of 6240 carries exactly this Detail and no element.
    return new QboFault(400, [{ Message: 'Duplicate Name Exists Error', Detail: 'The name supplied already exists. : null', code: '6240' }]);
  },
  invalidCustomer(): QboFault {
    return validation('6250', 'Invalid Customer', 'Invalid Customer : the customer on this transaction is inactive or does not exist', 'CustomerRef');
  },
  invalidAccountType(): QboFault {
    return validation(
      '6430',
      'Invalid account type used',
      'Invalid account type : the deposit account must be a Bank or Other Current Asset account',
      'DepositToAccountRef',
    );
  },
  companyNotWritable(sku: string): QboFault {
    return validation(
      '6190',
      'Invalid Company Status',
      `Subscription period has ended or been canceled or there was a billing problem : You can't add data to ${sku} because your trial or subscription period ended, you canceled your subscription, or there was a billing problem.`,
      '',
    );
  },
  periodClosed(): QboFault {
    return validation(
      '6210',
      'Account Period Closed',
      'The account period has closed and the account books cannot be updated through the QBO Services API. Please use the QBO website to make these changes.',
      '',
    );
  },
  depositedCannotChange(): QboFault {
    return validation(
      '6540',
      'Deposited Transaction cannot be changed',
      'This transaction has been deposited. If you want to change or delete it, you must first edit the deposit it appears on and remove it.',
      '',
    );
  },
  cdcEntitiesRequired(): QboFault {
    // Recorded (2016) as HTTP 200 with a SystemFault body.
    return new QboFault(
      200,
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: 'System Failure Error: java.lang.IllegalArgumentException: entities is required',
          code: '10000',
          element: 'SystemFailureError',
        },
      ],
      'SystemFault',
    );
  },
  /**
   * An entity change data capture does not support or does not know: HTTP 200 with a SystemFault, like the
   * recorded missing-entities answer (the Detail text is the sandbox's; QBO's wording is unrecorded).
   */
  cdcEntityNotSupported(name: string): QboFault {
    return new QboFault(
      200,
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: `System Failure Error: java.lang.IllegalArgumentException: Entity ${name} is not supported by change data capture`,
          code: '10000',
          element: 'SystemFailureError',
        },
      ],
      'SystemFault',
    );
  },
  queryMissing(): QboFault {
    // Recorded (2015) as HTTP 200 with a SystemFault body; kept, since no later recording shows otherwise.
    return new QboFault(
      200,
      [
        {
          Message: 'An application error has occurred while processing your request',
          Detail: 'System Failure Error: java.lang.NullPointerException',
          code: '10000',
          element: 'SystemFailureError',
        },
      ],
      'SystemFault',
    );
  },
};
