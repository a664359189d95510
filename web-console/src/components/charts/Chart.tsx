import { useEffect, useRef, useSyncExternalStore } from "react";
import type { EChartsCoreOption } from "echarts/core";

const darkQuery = window.matchMedia("(prefers-color-scheme: dark)");

/** True while the system asks for dark colours; charts redraw when it changes. */
export function usePrefersDark(): boolean {
  return useSyncExternalStore(
    (l) => {
      darkQuery.addEventListener("change", l);
      return () => darkQuery.removeEventListener("change", l);
    },
    () => darkQuery.matches,
  );
}

/**
 * An Apache ECharts chart, loaded on first use. The canvas is an image to assistive technology,
 * labelled by {@code label}; pages put the same numbers in a table beside it.
 */
export function Chart({
  option,
  label,
  height = 280,
}: {
  option: EChartsCoreOption;
  label: string;
  height?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const dark = usePrefersDark();

  useEffect(() => {
    let disposed = false;
    let cleanup = () => {};
    void import("./echarts").then(({ echarts }) => {
      if (disposed || !ref.current) return;
      const chart = echarts.init(ref.current, dark ? "dark" : undefined);
      chart.setOption({ backgroundColor: "transparent", animation: false, ...option });
      // The legend is drawn on the canvas: say what it names, as the chart holds it, for tests and tools.
      const series = (chart.getOption() as { series?: { name?: string }[] }).series ?? [];
      ref.current.dataset.legend = series.map((s) => s.name ?? "").join("\n");
      const resize = new ResizeObserver(() => chart.resize());
      resize.observe(ref.current);
      cleanup = () => {
        resize.disconnect();
        chart.dispose();
      };
    });
    return () => {
      disposed = true;
      cleanup();
    };
  }, [option, dark]);

  return <div ref={ref} className="chart" role="img" aria-label={label} style={{ height }} />;
}
