/**
 * The screens for Gov-Client-Screens: every screen the browser reports. The Window Management API
 * (`getScreenDetails`) lists them all, but only with the user's permission; asking would pop a prompt in the
 * middle of a tax return, so it is used only when permission is already granted, and otherwise the screen
 * the task pane is on (`window.screen`) is reported.
 */

export interface ScreenReport {
  readonly width: number;
  readonly height: number;
  /** devicePixelRatio of that screen; may be fractional (1.25, 1.5, 2.75). */
  readonly scalingFactor: number;
  /** Bits per pixel. */
  readonly colourDepth: number;
}

interface ScreenLike {
  readonly width: number;
  readonly height: number;
  readonly colorDepth: number;
  readonly devicePixelRatio?: number;
}

/** The parts of `window` this module reads, so tests pass a fake. */
export interface ScreenSource {
  readonly screen: ScreenLike & { readonly isExtended?: boolean };
  readonly devicePixelRatio: number;
  readonly getScreenDetails?: () => Promise<{ readonly screens: readonly ScreenLike[] }>;
  readonly navigator: { readonly permissions?: { query(descriptor: { name: string }): Promise<{ readonly state: string }> } };
}

function report(s: ScreenLike, fallbackRatio: number): ScreenReport {
  return { width: s.width, height: s.height, scalingFactor: s.devicePixelRatio ?? fallbackRatio, colourDepth: s.colorDepth };
}

/** True only when the user has already granted window management (no prompt is ever triggered here). */
async function mayListScreens(source: ScreenSource): Promise<boolean> {
  if (typeof source.getScreenDetails !== "function" || !source.navigator.permissions) return false;
  try {
    const status = await source.navigator.permissions.query({ name: "window-management" });
    return status.state === "granted";
  } catch {
    return false; // the browser does not know the permission name
  }
}

export async function collectScreens(source: ScreenSource): Promise<readonly ScreenReport[]> {
  const current = report(source.screen, source.devicePixelRatio);
  if (source.screen.isExtended === false || !(await mayListScreens(source))) return [current];
  try {
    const details = await source.getScreenDetails!();
    const all = details.screens.map((s) => report(s, source.devicePixelRatio));
    return all.length > 0 ? all : [current];
  } catch {
    return [current];
  }
}
