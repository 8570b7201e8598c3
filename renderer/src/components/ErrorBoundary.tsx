import { Button, Result, Typography } from 'antd';
import { Component, type ErrorInfo, type ReactNode } from 'react';

interface State {
  error: Error | null;
}

/**
 * Keeps one page's crash from blanking the whole app: the page shows what went wrong and the
 * navigation stays usable. Nothing saved is affected (every write went through the core).
 */
export class ErrorBoundary extends Component<{ children: ReactNode }, State> {
  override state: State = { error: null };

  static getDerivedStateFromError(error: Error): State {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('页面出错', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <Result
        status="error"
        title="此页面出错了"
        subTitle="已保存的数据不受影响。可以重新打开此页面，或从左侧切换到其他页面。"
        extra={
          <Button type="primary" onClick={() => this.setState({ error: null })}>
            重新打开此页面
          </Button>
        }
      >
        <Typography.Text type="secondary">{this.state.error.message}</Typography.Text>
      </Result>
    );
  }
}
