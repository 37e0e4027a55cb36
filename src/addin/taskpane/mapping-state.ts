/** The "Your figures" step's state: how the chosen business's figures are found in the workbook. */

export interface MappingState {
  /** The user has accepted how the chosen business's figures are read (automatic when nothing blocks). */
  readonly confirmed: boolean;
}

export const INITIAL_MAPPING: MappingState = { confirmed: false };
