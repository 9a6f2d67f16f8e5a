// The thread-local count the header's inline functions reach; its hints need no source.
#include "COTelSDKShims.h"

__thread int otel_attribute_updates_running = 0;
