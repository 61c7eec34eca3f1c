#include <linux/kapi.h>
#include "local.h"

static struct spinlock lock;

void *alloc_locked(void)
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(16, GFP_KERNEL);	/* sleeps: 0x840 has the 0x800 bit */
	spin_unlock(&lock);
	return p;
}

void *alloc_old_bit(void)
{
	void *p;

	spin_lock(&lock);
	p = kmalloc(16, GFP_OLD_RECLAIM_BIT);	/* does not sleep here */
	spin_unlock(&lock);
	return p;
}

void nap_locked(void)
{
	spin_lock(&lock);
	drv_nap();	/* through the local header's helper */
	kapi_nap();	/* a kernel inline: not followed, not reported */
	spin_unlock(&lock);
}
