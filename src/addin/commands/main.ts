/**
 * The manifest's FunctionFile runtime. The ribbon button only shows the task pane (ShowTaskpane), so there
 * are no commands yet; Office still requires the page and expects it to initialise.
 */
if (typeof Office !== "undefined") void Office.onReady();
