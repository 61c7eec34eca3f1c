// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_clean - virtual sensor hub that uses workqueues idiomatically
 *
 * A timer simulates sensor interrupts: it records events with GFP_ATOMIC
 * allocations under a spinlock and queues per-sensor work.  Work handlers
 * do the slow parts (mutexes, msleep) in process context.  Teardown stops
 * the event source first, then cancels every work item synchronously
 * before the memory that holds it is freed.
 *
 * Part of the wqcheck test corpus: this file must produce no diagnostics
 * from any wqcheck check.
 */

/* expected-no-diagnostics */

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/workqueue.h>

#define HUB_NR_SENSORS		4
#define HUB_TICK_MS		50
#define HUB_REFRESH_MS		500
#define HUB_GC_MS		2000
#define HUB_MAX_EVENTS		64

struct hub_event {
	struct list_head node;
	unsigned long stamp;
	int value;
};

struct hub_sensor {
	struct list_head node;		/* on hub_sensors, under hub_mutex */
	unsigned int id;
	spinlock_t lock;		/* protects events, nr_events */
	struct list_head events;
	unsigned int nr_events;
	int last_value;
	struct work_struct event_work;
	struct delayed_work refresh_work;
};

static struct workqueue_struct *hub_wq;
static DEFINE_MUTEX(hub_mutex);		/* protects hub_sensors, hub_total */
static LIST_HEAD(hub_sensors);
static unsigned long hub_total;
static struct timer_list hub_tick;
static bool hub_stopping;
static DEFINE_SPINLOCK(hub_tick_lock);	/* protects hub_sensor_array */
static struct hub_sensor *hub_sensor_array[HUB_NR_SENSORS];

static void hub_announce_fn(struct work_struct *work);
static void hub_gc_fn(struct work_struct *work);

static DECLARE_WORK(hub_announce_work, hub_announce_fn);
static DECLARE_DELAYED_WORK(hub_gc_work, hub_gc_fn);

static void hub_event_fn(struct work_struct *work)
{
	struct hub_sensor *s = container_of(work, struct hub_sensor, event_work);
	struct hub_event *ev, *tmp;
	unsigned int n = 0;
	LIST_HEAD(batch);

	spin_lock_irq(&s->lock);
	list_splice_init(&s->events, &batch);
	s->nr_events = 0;
	spin_unlock_irq(&s->lock);

	list_for_each_entry_safe(ev, tmp, &batch, node) {
		WRITE_ONCE(s->last_value, ev->value);
		list_del(&ev->node);
		kfree(ev);
		n++;
	}

	mutex_lock(&hub_mutex);
	hub_total += n;
	mutex_unlock(&hub_mutex);
}

static void hub_refresh_fn(struct work_struct *work)
{
	struct hub_sensor *s = container_of(to_delayed_work(work),
					    struct hub_sensor, refresh_work);

	/* Recalibration takes a while: sleeping in a work handler is fine. */
	msleep(5);
	pr_debug("wqs_clean: sensor %u recalibrated at %d\n", s->id,
		 READ_ONCE(s->last_value));
	queue_delayed_work(hub_wq, &s->refresh_work,
			   msecs_to_jiffies(HUB_REFRESH_MS));
}

static void hub_announce_fn(struct work_struct *work)
{
	unsigned int n = 0;
	struct hub_sensor *s;

	mutex_lock(&hub_mutex);
	list_for_each_entry(s, &hub_sensors, node)
		n++;
	mutex_unlock(&hub_mutex);

	pr_info("wqs_clean: hub online with %u sensors\n", n);
}

static void hub_gc_fn(struct work_struct *work)
{
	unsigned long total;

	mutex_lock(&hub_mutex);
	total = hub_total;
	mutex_unlock(&hub_mutex);

	pr_debug("wqs_clean: %lu events processed\n", total);
	schedule_delayed_work(&hub_gc_work, msecs_to_jiffies(HUB_GC_MS));
}

static void hub_tick_fn(struct timer_list *t)
{
	struct hub_sensor *s;
	struct hub_event *ev;
	unsigned int idx = jiffies % HUB_NR_SENSORS;
	unsigned long flags;

	spin_lock_irqsave(&hub_tick_lock, flags);
	s = hub_sensor_array[idx];
	if (s) {
		spin_lock(&s->lock);
		if (s->nr_events < HUB_MAX_EVENTS) {
			/* Atomic context: GFP_ATOMIC only. */
			ev = kmalloc(sizeof(*ev), GFP_ATOMIC);
			if (ev) {
				ev->stamp = jiffies;
				ev->value = (int)(jiffies & 0xff);
				list_add_tail(&ev->node, &s->events);
				s->nr_events++;
			}
		}
		spin_unlock(&s->lock);

		queue_work(hub_wq, &s->event_work);
		if (idx == 0)
			mod_delayed_work(hub_wq, &s->refresh_work, 0);
	}
	spin_unlock_irqrestore(&hub_tick_lock, flags);

	if (!READ_ONCE(hub_stopping))
		mod_timer(&hub_tick, jiffies + msecs_to_jiffies(HUB_TICK_MS));
}

static struct hub_sensor *hub_sensor_create(unsigned int id)
{
	struct hub_sensor *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return NULL;

	s->id = id;
	spin_lock_init(&s->lock);
	INIT_LIST_HEAD(&s->events);
	INIT_WORK(&s->event_work, hub_event_fn);
	INIT_DELAYED_WORK(&s->refresh_work, hub_refresh_fn);
	return s;
}

static void hub_sensor_destroy(struct hub_sensor *s)
{
	struct hub_event *ev, *tmp;

	/* Wait for both work items before the sensor goes away. */
	cancel_work_sync(&s->event_work);
	cancel_delayed_work_sync(&s->refresh_work);

	list_for_each_entry_safe(ev, tmp, &s->events, node) {
		list_del(&ev->node);
		kfree(ev);
	}
	kfree(s);
}

static void hub_teardown(void)
{
	struct hub_sensor *s, *tmp;
	LIST_HEAD(dead);
	int i;

	/* Stop the event source first: nothing re-queues work after this. */
	WRITE_ONCE(hub_stopping, true);
	timer_delete_sync(&hub_tick);

	spin_lock_irq(&hub_tick_lock);
	for (i = 0; i < HUB_NR_SENSORS; i++)
		hub_sensor_array[i] = NULL;
	spin_unlock_irq(&hub_tick_lock);

	cancel_delayed_work_sync(&hub_gc_work);
	cancel_work_sync(&hub_announce_work);

	mutex_lock(&hub_mutex);
	list_splice_init(&hub_sensors, &dead);
	mutex_unlock(&hub_mutex);

	/* hub_mutex is dropped: the handlers may take it while we wait. */
	list_for_each_entry_safe(s, tmp, &dead, node) {
		list_del(&s->node);
		hub_sensor_destroy(s);
	}
}

static int __init hub_init(void)
{
	struct hub_sensor *s;
	unsigned int i;

	hub_wq = alloc_workqueue("wqs_clean", WQ_UNBOUND | WQ_MEM_RECLAIM, 0);
	if (!hub_wq)
		return -ENOMEM;

	timer_setup(&hub_tick, hub_tick_fn, 0);

	for (i = 0; i < HUB_NR_SENSORS; i++) {
		s = hub_sensor_create(i);
		if (!s) {
			hub_teardown();
			destroy_workqueue(hub_wq);
			return -ENOMEM;
		}

		mutex_lock(&hub_mutex);
		list_add_tail(&s->node, &hub_sensors);
		mutex_unlock(&hub_mutex);

		spin_lock_irq(&hub_tick_lock);
		hub_sensor_array[i] = s;
		spin_unlock_irq(&hub_tick_lock);

		queue_delayed_work(hub_wq, &s->refresh_work,
				   msecs_to_jiffies(HUB_REFRESH_MS));
	}

	schedule_work(&hub_announce_work);
	schedule_delayed_work(&hub_gc_work, msecs_to_jiffies(HUB_GC_MS));
	mod_timer(&hub_tick, jiffies + msecs_to_jiffies(HUB_TICK_MS));
	return 0;
}

static void __exit hub_exit(void)
{
	hub_teardown();
	destroy_workqueue(hub_wq);
}

module_init(hub_init);
module_exit(hub_exit);

MODULE_DESCRIPTION("wqcheck sample: idiomatic, correct workqueue usage");
MODULE_AUTHOR("wqcheck developers");
MODULE_LICENSE("GPL");
