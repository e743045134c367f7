// sv-atlas page enhancements. Pages work fully without this script; it only adds conveniences.
// Kept small and dependency-free on purpose (no framework to download, audit or update).
"use strict";
