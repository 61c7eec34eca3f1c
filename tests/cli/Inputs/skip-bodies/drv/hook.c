#define KAPI_HOOK() flush_scheduled_work()
#include <linux/kapi.h>

void drv_exit(void)
{
	kapi_hook();
}
