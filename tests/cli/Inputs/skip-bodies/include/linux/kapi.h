/*
 * A stand-in for kernel headers, outside the checked files' directory: the
 * CLI skips the bodies of the functions defined here, except those the
 * analysis reads (gfpflags_allow_blocking()).
 */
#ifndef KAPI_H
#define KAPI_H

typedef unsigned int gfp_t;

/* Not 6.1's 0x400u: wqcheck must read the bit from the body below. */
#define __GFP_DIRECT_RECLAIM	0x800u
#define GFP_KERNEL		(__GFP_DIRECT_RECLAIM | 0x40u)
#define GFP_OLD_RECLAIM_BIT	0x400u

static inline int gfpflags_allow_blocking(const gfp_t gfp_flags)
{
	return !!(gfp_flags & __GFP_DIRECT_RECLAIM);
}

struct spinlock { int locked; };
void spin_lock(struct spinlock *lock);
void spin_unlock(struct spinlock *lock);
void msleep(unsigned int msecs);
void *kmalloc(unsigned long size, gfp_t flags);
void flush_scheduled_work(void);

/* A body with nothing of the user's: skipped. */
static inline void kapi_nap(void)
{
	msleep(1);
}

#ifdef KAPI_HOOK
/*
 * A body that expands a macro the including file defines (as the kernel's
 * headers expand a driver's pr_fmt()): it holds tokens the user wrote, so
 * the file is parsed again without skipping.
 */
static inline void kapi_hook(void)
{
	KAPI_HOOK();
}
#endif

#endif
