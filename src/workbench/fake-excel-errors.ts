/** Errors shaped like Office.js's (OfficeExtension.Error): what the fake Excel throws. */

export interface FakeDebugInfo {
  readonly code: string;
  readonly message: string;
  readonly errorLocation?: string;
  readonly statement?: string;
}

/** Shaped like OfficeExtension.Error: `name` "RichApi.Error", a stable `code`, and `debugInfo`. */
export class FakeOfficeError extends Error {
  readonly debugInfo: FakeDebugInfo;
  constructor(
    readonly code: string,
    message: string,
    location?: { errorLocation?: string; statement?: string },
  ) {
    super(message);
    this.name = "RichApi.Error";
    this.debugInfo = { code, message, ...location };
  }
}

const MESSAGES: Record<string, string> = {
  ItemNotFound: "The requested resource doesn't exist.",
  ItemAlreadyExists: "The resource already exists.",
  InvalidArgument: "The argument is invalid or missing or has an incorrect format.",
  InvalidOperation: "The operation attempted is invalid on the object.",
  InvalidSelection: "The current selection is invalid for this operation.",
  InvalidOperationInCellEditMode: "Excel is in cell-editing mode. Please exit the edit mode by pressing ENTER or TAB or selecting another cell, and then try again.",
  RequestPayloadSizeLimitExceeded: "The request payload size has exceeded the limit.",
  ResponsePayloadSizeLimitExceeded: "The response payload size has exceeded the limit.",
  InvalidRequestContext: "Cannot use the object across different request contexts.",
  GeneralException: "There was an internal error while processing the request.",
};

export function officeError(code: string, detail?: string, location?: { errorLocation?: string; statement?: string }): FakeOfficeError {
  return new FakeOfficeError(code, detail ?? MESSAGES[code] ?? code, location);
}

export function propertyNotLoaded(property: string): FakeOfficeError {
  return new FakeOfficeError(
    "PropertyNotLoaded",
    `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
  );
}

export const SHAPE_MISMATCH = "The number of rows or columns in the input array doesn't match the size or dimensions of the range.";

