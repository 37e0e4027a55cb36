/**
 * ms-redirect.html: where Microsoft's sign-in returns (the app registration's SPA redirect URI). msal-browser 5
 * needs this "redirect bridge": it hands the answer to the window that asked (msal's popup) or, for the redirect
 * flow, back to ms-signin.html, which finishes it. No UI beyond a line of text, and no Office needed.
 */
import { broadcastResponseToMainFrame } from "@azure/msal-browser/redirect-bridge";
import { show } from "./parent";

void broadcastResponseToMainFrame().catch(() =>
  show("Signing in did not complete", "Close this window and choose “Sign in with Microsoft” in MTD Bridge again."),
);
