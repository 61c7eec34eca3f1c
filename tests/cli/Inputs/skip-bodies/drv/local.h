/* A driver's own header: its bodies are user code and always parsed. */
static inline void drv_nap(void)
{
	msleep(10);
}
