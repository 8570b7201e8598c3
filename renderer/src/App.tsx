import { useQueryClient } from '@tanstack/react-query';
import { Button, Result, Spin } from 'antd';
import { useEffect } from 'react';
import { errorMessage, useCommandQuery } from './api';
import { Shell } from './Shell';
import { WelcomePage } from './pages/WelcomePage';

export function App() {
  const qc = useQueryClient();
  const info = useCommandQuery('app.info', {});

  useEffect(() => {
    const offs = [
      window.app.on('records.changed', () => void qc.invalidateQueries()),
      window.app.on('workspace.changed', () => void qc.invalidateQueries()),
    ];
    return () => offs.forEach((off) => off());
  }, [qc]);

  if (info.isPending) {
    return (
      <div className="coming">
        <Spin size="large" tip="正在加载…">
          <div style={{ width: 200, height: 80 }} />
        </Spin>
      </div>
    );
  }
  if (info.isError) {
    return (
      <Result
        status="error"
        title="无法连接工作台核心"
        subTitle={errorMessage(info.error)}
        extra={<Button onClick={() => void info.refetch()}>重试</Button>}
      />
    );
  }
  if (!info.data.workspace) return <WelcomePage info={info.data} />;
  return <Shell info={info.data} workspace={info.data.workspace} />;
}
