// The thread-locals the header's inline functions reach; its hints need no source.
#include "COTelSDKShims.h"

__thread int otel_attribute_updates_running = 0;
__thread int otel_sdk_thread = 0;
