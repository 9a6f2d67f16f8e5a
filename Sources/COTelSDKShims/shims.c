// The shims are inline functions in the header; this file gives the target a source.
#include "COTelSDKShims.h"
