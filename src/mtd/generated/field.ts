/** A monetary field of an HMRC request schema, as generated from HMRC's definitions. */
export interface GeneratedField {
  /** JSON pointer into the request body, e.g. `/ukProperty/income/periodAmount`. */
  readonly pointer: string;
  readonly minPence: number;
  readonly maxPence: number;
  /** HMRC's description, up to the range sentence. */
  readonly description: string;
}
